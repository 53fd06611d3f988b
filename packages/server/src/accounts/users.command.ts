import { parseArgs } from "node:util";
import type { Role } from "../http/principal.js";
import type { AccountsService } from "./accounts.service.js";

export const usersUsage = `  user create --email E --role admin|writer|reader [--project KEY] [--password-stdin]
        Create a console user; without --password-stdin a password is generated and printed (shown once).
  user list
        List console users.
  user disable --email E
        Disable a user and end their sessions.`;

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  readStdin(): Promise<string>;
}

/** `vexil user create|list|disable` over an opened accounts service; returns the exit code. */
export async function runUserCommand(
  sub: string | undefined,
  args: string[],
  accounts: AccountsService,
  io: Io,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      project: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
  });
  if (sub === "list") {
    for (const user of await accounts.listUsers()) {
      const scope = user.projectKey ? `project ${user.projectKey}` : "all projects";
      io.stdout.write(
        `${user.id}\t${user.email}\t${user.role}\t${scope}${user.disabled ? "\tdisabled" : ""}\n`,
      );
    }
    return 0;
  }
  if (!values.email) {
    io.stderr.write("--email is required\n");
    return 2;
  }
  if (sub === "create") {
    const role = values.role;
    if (role !== "reader" && role !== "writer" && role !== "admin") {
      io.stderr.write("--role must be reader, writer or admin\n");
      return 2;
    }
    const password = values["password-stdin"] ? (await io.readStdin()).replace(/\r?\n$/, "") : undefined;
    const created = await accounts.createUser("cli", {
      email: values.email,
      role: role as Role,
      projectKey: values.project,
      password,
    });
    io.stdout.write(
      `Created ${created.user.email} (id ${created.user.id}, ${role}${values.project ? `, project ${values.project}` : ""})\n`,
    );
    if (created.password) io.stdout.write(`password (shown once): ${created.password}\n`);
    return 0;
  }
  if (sub === "disable") {
    const user = await accounts.findUserByEmail(values.email);
    if (!user) {
      io.stderr.write(`No user with email ${values.email}\n`);
      return 1;
    }
    await accounts.updateUser("cli", user.id, { disabled: true });
    io.stdout.write(`Disabled ${user.email}; their sessions ended\n`);
    return 0;
  }
  io.stderr.write(`Unknown user command '${sub ?? ""}'\n`);
  return 2;
}
