export * from "./render.js";
export * from "./transport.js";
