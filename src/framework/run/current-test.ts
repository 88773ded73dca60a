// Which test this process is running, and whether its body (not a beforeEach/afterEach hook) is
// what runs now. useScope's hooks keep it; the call log asks it where each call belongs, so the
// coverage report can tell a test's calls from its hooks' and the timeline can place each test.
import { attributeCallsWith, type CallOrigin } from '../../client/call-log.js';

let currentTest = '';
/** Whether the current test's body is running (between beginTestBody and endTestBody). */
let inBody = false;
/** When the current test's body began, ms since the epoch. */
let bodyStartedAt: number | undefined;

function origin(): CallOrigin {
  return { test: currentTest, hook: currentTest !== '' && !inBody };
}

/** Set before each test so calls are attributed to it ('' after it). */
export function setCurrentTest(fullTitle: string): void {
  attributeCallsWith(origin);
  currentTest = fullTitle;
  inBody = false;
  bodyStartedAt = undefined;
}

/** Called as the current test's body begins: its calls until now were its beforeEach hooks'. */
export function beginTestBody(): void {
  inBody = true;
  bodyStartedAt = Date.now();
}

/** When the current test's body began (ms since the epoch), if it has. */
export function testBodyStartedAt(): number | undefined {
  return bodyStartedAt;
}

/** Called as the current test's body ends: its calls from now on are cleanup. */
export function endTestBody(): void {
  inBody = false;
}
