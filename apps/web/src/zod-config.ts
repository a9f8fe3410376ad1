import { z } from "zod";

// The server's CSP has no 'unsafe-eval'. Zod's compiled parsers probe `new Function` and the
// browser reports each probe as a CSP violation; the interpreted parsers need no eval.
z.config({ jitless: true });
