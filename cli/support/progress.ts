/**
 * Progress of a waiting command: a bar on a terminal (cli-progress, on stderr so stdout stays parseable), plain
 * lines otherwise (CI logs, pipes), one per change.
 */
import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, phase: string): void;
  /** A line of its own, above the bar on a terminal. */
  line(text: string): void;
  stop(): void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    let last = '';
    return {
      update(done, total, phase) {
        const text = `${phase}: ${done}/${total}`;
        if (text !== last) stream.write(`${text}\n`);
        last = text;
      },
      line: (text) => stream.write(`${text}\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total} confirmed, {duration_formatted}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, phase) {
      if (!started) bar.start(total, done, { phase });
      started = true;
      bar.setTotal(total);
      bar.update(done, { phase });
    },
    line(text) {
      // cli-progress redraws on the current line; print the line above it.
      stream.write(`\r\x1b[K${text}\n`);
      if (started) bar.render();
    },
    stop: () => started && bar.stop(),
  };
}
