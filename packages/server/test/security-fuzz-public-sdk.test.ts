import { describeFuzz } from "./fuzz-runner.js";

// Issue 13: bad requests generated from /openapi.json for every public-sdk operation (fuzz-cases.ts), against a
// real server on a seeded project (fuzz-world.ts), on SQLite or on PostgreSQL with VEXIL_TEST_POSTGRES_URL.
// The seed and the count per operation are fixed, so every run sends the same requests.
describeFuzz("public-sdk", { seed: 13, count: 60 });
