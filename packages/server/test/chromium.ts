import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium (installed by .ci/run with apt-get), never a downloaded browser. Without the
 * background-networking and component-update flags it keeps dialling Google's hosts, which this closed
 * network refuses, and can be slow to close under load.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
