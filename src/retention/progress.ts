/**
 * A one-line progress bar for the CLI on a terminal; plain lines every 10%
 * when output goes to a file or CI log.
 */
export function progressBar(stream: NodeJS.WriteStream, label: string) {
  let lastDecile = -1;
  return {
    update(done: number, total: number) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`,
        );
        if (fraction === 1) stream.write('\n');
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
  };
}
