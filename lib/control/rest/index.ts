export { errorReply } from './error-reply.js';
export { type Route, type RouteCall, router } from './router.js';
export { restApi, routes } from './routes.js';
export type { ErrorBody, RestReply, RestRequest } from './types.js';
