// A command's one-line messages go to stderr, so that stdout carries only what was asked for
// (--list, --help, a comparison).
export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
