import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../ops/io';
import { printError, printJson, printLine, printTable, warn } from '../../../ops/output';
import { controlCharactersIn } from '../../support/control-characters';

const ESCAPES = '\u001b[2J\u001b]0;owned\u0007\u009b31m\u007f';

function capturedIo() {
  const written = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (written.stdout += text) },
    stderr: { write: (text: string) => (written.stderr += text) },
    isTTY: false,
    env: {},
  };
  return { io, written };
}

describe('the ops CLI printer', () => {
  it('prints lines, warnings, errors and table cells without control characters, one line each', () => {
    const { io, written } = capturedIo();

    printLine(io, `line${ESCAPES}`);
    printTable(io, [{ reason: `cell${ESCAPES}\r\nnext` }], [{ title: 'REASON', value: (row) => row.reason }]);
    warn(io, `warning${ESCAPES}`);
    printError(io, { message: `error${ESCAPES}\n  on two lines` });

    expect(written.stdout).toBe('line[2J]0;owned31m\nREASON\ncell[2J]0;owned31m next\n');
    expect(written.stderr).toBe('warning: warning[2J]0;owned31m\nerror: error[2J]0;owned31m on two lines\n');
  });

  it('prints JSON whose strings keep every character, control characters as escapes', () => {
    const { io, written } = capturedIo();
    const value = { reason: `kept${ESCAPES}\n` };

    printJson(io, value);

    expect(controlCharactersIn(written.stdout.replaceAll('\n', ''))).toEqual([]);
    expect(JSON.parse(written.stdout)).toEqual(value);
  });
});
