export { buildApp } from "./app.js";
export type { AppContext } from "./app-context.js";
export { resolveConfig, type ServerConfig } from "./config.js";
export { type OpenedServer, openServer } from "./server.js";
