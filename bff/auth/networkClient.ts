// msal-node's network module with a deadline on every call (its default HttpClient sets none on token POSTs).
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { FetchWithDeadline } from '../downstream/fetchWithDeadline';

export class MsalNetworkClient implements INetworkModule {
  constructor(private readonly fetchWithDeadline: FetchWithDeadline) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, { method: 'GET', headers: options?.headers, ...(timeout ? { timeoutMs: timeout } : {}) });
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, { method: 'POST', headers: options?.headers, body: options?.body ?? '' });
  }

  async #send<T>(url: string, init: RequestInit & { timeoutMs?: number }): Promise<NetworkResponse<T>> {
    const res = await this.fetchWithDeadline(url, init);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: unknown;
    try {
      body = res.text ? JSON.parse(res.text) : {};
    } catch {
      // Entra always answers JSON; anything else (a proxy's HTML error page) becomes a typed server error for MSAL.
      body = {
        error: 'invalid_response',
        error_description: `Non-JSON response (HTTP ${res.status}) from the identity provider`,
      };
    }
    return { headers, body: body as T, status: res.status };
  }
}
