// The typed Koa request state (ctx.state) shared by the app, its middleware and routers.
import type { ParameterizedContext } from 'koa';

export interface AppState {
  /** Set by requestContext, the first middleware: echoed as X-Request-Id and put on every log line. */
  requestId: string;
  /** The id koa-session generated on this request (its Session object keeps reporting the pre-regenerate key). */
  sessionKey?: string;
}

/** A Koa context whose `state` is AppState. */
export type AppContext = ParameterizedContext<AppState>;
