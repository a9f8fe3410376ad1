import { z } from "zod";
import { CommandRequest } from "../commands.js";
import { described, errorResponses } from "./openapi-schema.js";
import { CommandResultSchema } from "./openapi-responses.js";

/**
 * The local control endpoint's route schema (POST /internal/cli): the CLI's command as data,
 * checked by the handler after the token (an anonymous caller gets 401 before any 400).
 */
export const describedCommand = {
  summary: "run a CLI command inside the server that owns the embedded database (loopback and the control token only)",
  headers: described(z.object({ "x-leadflow-control": z.string().describe("the control token from DATA_DIR/leadflow.lock") })),
  body: described(CommandRequest),
  response: { 200: CommandResultSchema, ...errorResponses },
};
