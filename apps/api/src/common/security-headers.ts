import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet with a Content-Security-Policy that fits what Vigil serves from one origin: the built
 * dashboard (its own scripts only), the socket on the same host (`ws:`/`wss:` because browsers
 * before CSP3 do not count a same-host WebSocket as 'self'), recharts' inline `style`
 * attributes, the data: favicon, and Swagger UI at /api/docs. No framing by anyone.
 * `upgrade-insecure-requests` is left out: a plain-HTTP deployment (the compose proxy on :8080)
 * would otherwise have the browser ask for https subresources that do not exist.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * API answers carry health data and tokens: no browser or shared cache may keep them.
 * Hand-written because helmet dropped its noCache middleware and this is one header.
 */
export function noStoreForApi(req: Request, res: Response, next: NextFunction): void {
  if (req.path === '/api' || req.path.startsWith('/api/'))
    res.setHeader('Cache-Control', 'no-store');
  next();
}
