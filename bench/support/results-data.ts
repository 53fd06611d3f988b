// The results benches' data: a flag's 3 variations (34/33/33) and 5 goals, `visitors` visitors exposed over
// 14 days from `start`, generated inside DuckDB with range() straight into the server's events file (the
// server closed meanwhile). Shared by bench/results.bench.ts and bench/console-results.bench.ts; the
// shape of the data is described in results.bench.ts.

const DAY = 86_400_000;

export interface Ids {
  flagId: number;
  featureKey: string;
  ruleId: number;
  experimentId: number;
  goalIds: number[];
}

/** The events, generated in DuckDB: exposures (and second visits), then each goal's conversions. */
export function generationSql(ids: Ids, visitors: number, start: number): string[] {
  const visitor = "'bv-' || CAST(v AS VARCHAR)";
  // A deterministic pseudo-random number in [0, 10000) per visitor and salt.
  const draw = (salt: number) => `CAST(hash(v * 131 + ${salt}) % 10000 AS BIGINT)`;
  const variation = `CASE WHEN ${draw(1)} < 3400 THEN 'off' WHEN ${draw(1)} < 6700 THEN 'on' ELSE 'v2' END`;
  const time = `${start} + CAST(${draw(2)} AS BIGINT) * ${Math.floor((14 * DAY) / 10000)} + (v % 1000)`;
  const attributes = `['Chrome', 'Safari', 'Firefox', 'Edge'][${draw(3)} % 4 + 1],
    ['Desktop', 'Phone', 'Tablet'][${draw(4)} % 3 + 1], ['Windows', 'macOS', 'iOS', 'Android'][${draw(5)} % 4 + 1],
    ['FR', 'US', 'DE', 'GB', 'JP'][${draw(6)} % 5 + 1], ${draw(7)} < 6000, NULL`;
  const exposureColumns =
    "project_key, environment_key, feature_key, flag_id, rule_id, experiment_id, variation_key, visitor_code, visit_id, visit_hash, time, browser, device_type, os, country, new_visitor, custom, visitor_hash";
  const conversionColumns =
    "project_key, environment_key, goal_id, visitor_code, visit_id, value, time, browser, device_type, os, country, new_visitor, custom, visitor_hash, visit_hash";
  // Any stable 53-bit hash of the visitor code and visit id will do, the same in both tables (the store
  // groups and joins units on them).
  const visitHash = (suffix: string) => `CAST(hash(${visitor} || ${suffix}) % 9007199254740992 AS BIGINT)`;
  const visitorHash = `CAST(hash(${visitor}) % 9007199254740992 AS BIGINT)`;
  const base = `SELECT v, ${variation} AS variation, ${time} AS t FROM range(${visitors}) AS r(v)`;
  const statements = [
    `CREATE TEMP TABLE plan AS ${base}`,
    `INSERT INTO analytics_exposures (${exposureColumns})
     SELECT 'demo', 'production', '${ids.featureKey}', ${ids.flagId}, ${ids.ruleId}, ${ids.experimentId}, variation,
       ${visitor}, ${visitor} || '-1', ${visitHash("'-1'")}, t, ${attributes}, ${visitorHash} FROM plan`,
    `INSERT INTO analytics_exposures (${exposureColumns})
     SELECT 'demo', 'production', '${ids.featureKey}', ${ids.flagId}, ${ids.ruleId}, ${ids.experimentId}, variation,
       ${visitor}, ${visitor} || '-2', ${visitHash("'-2'")}, t + ${DAY}, ${attributes}, ${visitorHash} FROM plan WHERE v % 10 = 3`,
  ];
  // rates per variation (per 10,000), numeric value, repeat share, CUPED engagement.
  const goals = [
    { rates: [1000, 1100, 1050], value: "1", repeat: 0, cuped: false },
    { rates: [500, 520, 500], value: `20 + ${draw(21)} / 200.0`, repeat: 3000, cuped: false },
    { rates: [2000, 2200, 2000], value: "1", repeat: 0, cuped: true },
    { rates: [3000, 3000, 3100], value: "1", repeat: 2000, cuped: true },
    { rates: [800, 800, 800], value: "1", repeat: 0, cuped: false },
  ];
  goals.forEach((goal, index) => {
    const goalId = ids.goalIds[index]!;
    const rate = `CASE variation WHEN 'off' THEN ${goal.rates[0]} WHEN 'on' THEN ${goal.rates[1]} ELSE ${goal.rates[2]} END`;
    // Engaged visitors (30 %) convert twice as often; the rest at (1 - 0.6) / 0.7 of the rate: mean = rate.
    const engaged = `${draw(40 + index)} < 3000`;
    const effective = goal.cuped ? `CASE WHEN ${engaged} THEN 2 * ${rate} ELSE ${rate} * 4 / 7 END` : rate;
    const converts = `${draw(50 + index)} < ${effective}`;
    const insert = (copy: number, offset: string, where: string, visit: string) =>
      `INSERT INTO analytics_conversions (${conversionColumns})
       SELECT 'demo', 'production', ${goalId}, ${visitor}, ${visitor} || '${visit}', ${goal.value}, t + ${offset},
         ${attributes}, ${visitorHash}, ${visitHash(`'${visit}'`)} FROM plan WHERE ${where} -- copy ${copy}`;
    statements.push(insert(1, `60000 + ${draw(60 + index)} * 100`, converts, "-1"));
    if (goal.repeat > 0)
      statements.push(
        insert(
          2,
          `3600000 + ${draw(60 + index)} * 100`,
          `${converts} AND ${draw(70 + index)} < ${goal.repeat}`,
          "-1",
        ),
      );
    if (goal.cuped)
      statements.push(
        insert(
          3,
          "-7200000",
          `(CASE WHEN ${engaged} THEN ${draw(80 + index)} < 6000 ELSE ${draw(80 + index)} < 500 END)`,
          "-0",
        ),
      );
  });
  statements.push("CHECKPOINT");
  return statements;
}
