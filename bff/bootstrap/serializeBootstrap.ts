// JSON for an inline <script type="application/json">: escaped so no value can close the element or start markup.
import { BOOTSTRAP_ELEMENT_ID } from '../../shared-types/bootstrap';

const UNSAFE = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** JSON.stringify with `<`, `>`, `&`, U+2028 and U+2029 as \u escapes; JSON.parse returns the original value. */
export function serializeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => ESCAPES[c]!);
}

/** The complete bootstrap element. */
export function renderBootstrapElement(payload: unknown): string {
  return `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${serializeJsonForHtml(payload)}</script>`;
}
