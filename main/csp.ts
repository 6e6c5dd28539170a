/**
 * The one Content-Security-Policy for the renderer, sent as a header by both hosts (Electron's app://
 * protocol handler and the web host) and repeated as a meta tag in renderer/index.html.
 * Inline styles are allowed for React style props; scripts only from the app itself; the email preview
 * frame is a sandboxed srcdoc (no scripts) and inherits this policy.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // https: images only, so that the email preview shows remote images as recipients see them (no scripts, no fetches).
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
