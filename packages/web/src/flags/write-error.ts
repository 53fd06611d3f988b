/** What a failed write tells the person: a title, the explanation, and whether reloading the flag helps. */
export interface WriteFailure {
  title: string;
  message: string;
  reload: boolean;
}

// The server's lock holders (automation/*.ts), in the words of the person who meets the lock.
const HOLDERS: Record<string, string> = {
  "automation:bandit": "The multi-armed bandit is re-allocating traffic between the variations",
  "automation:rollback":
    "A rollback condition was met and automation is turning a rule or the environment off",
};

/**
 * Explains a failed flag write from its HTTP status and the server's message: 409 on a versioned write
 * (If-Match: the flag changed since it was read), 423 (automation holds the flag: which automation, until
 * when), anything else (a 409 of a create or duplicate is a taken key) in the server's words.
 */
export function explainWriteFailure(
  status: number | undefined,
  message: string,
  options: { versioned?: boolean; timeZone?: string } = {},
): WriteFailure {
  const { versioned = true, timeZone } = options;
  if (status === 409 && versioned) {
    return {
      title: "Someone else changed this flag",
      message:
        "Your change was not saved because the flag changed since you opened it. Reload to see the latest version, then make your change again.",
      reload: true,
    };
  }
  if (status === 423) {
    const lock = /locked by '([^']*)' until (\S+)/.exec(message);
    const holder = lock?.[1] ?? "";
    const until = lock ? new Date(lock[2] ?? "") : null;
    const who = HOLDERS[holder] ?? `Automation ('${holder || "unknown"}') is changing this flag`;
    const when =
      until && Number.isFinite(until.getTime())
        ? ` It holds the flag until ${until.toLocaleTimeString("en-GB", { timeZone })} at the latest.`
        : "";
    return {
      title: "Automation holds this flag",
      message: `${who}, so your change was not saved.${when} Reload once it is done and make your change again.`,
      reload: true,
    };
  }
  return { title: "Not saved", message, reload: false };
}
