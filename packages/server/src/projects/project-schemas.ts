import { Type } from "typebox";
import { KEY_PATTERN } from "./projects.service.js";

export const Key = Type.String({ pattern: KEY_PATTERN, description: "1-64 of [A-Za-z0-9._-]" });
export const ProjectParams = Type.Object({ projectKey: Key });
export const EnvironmentParams = Type.Object({ projectKey: Key, environmentKey: Key });
export const NewEnvironmentBody = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    color: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
