import pg from "pg";

/** Creates an empty database next to the one of `adminUrl` (for --postgres); answers its URL and a function dropping it. */
export async function createDatabase(
  adminUrl: string,
  name = `vexil_bench_${process.pid}`,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
