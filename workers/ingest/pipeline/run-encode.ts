import type { MessagePort } from 'node:worker_threads';
import { toErrorShape } from '../../../shared/errors';
import { PseudonymKeys } from '../../store/dictionary';
import { createPseudonymizer, createPseudonymKeys } from '../../mask/pseudonym';
import { EventEncoder } from '../encoders';
import { encodeBatches } from '../encode-loop';
import { openFile } from '../read/open';
import { RejectMasker } from '../reject-mask';
import { makeTimeParser } from '../timestamps';
import { LocalDictionary } from './local-dictionary';
import { PostingSink } from './posting-sink';
import type { EncodeInit, EncodeMessage } from './protocol';

const MAX_IN_FLIGHT = 2;

/** The encode side of a two-thread import: streams the file and posts encoded batches to the writer. */
export async function runEncode(init: EncodeInit, port: MessagePort): Promise<void> {
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'ack') return;
    inFlight--;
    wake?.();
    wake = null;
  });
  const post = (message: EncodeMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const file = await openFile(init.file, init.delimiter ? { delimiter: init.delimiter } : {});
    const dictionary = new LocalDictionary();
    let sink: PostingSink | undefined;
    const encoder = new EventEncoder({
      // The encode side never touches the database: rows go to the sink, strings to the local dictionary.
      db: undefined as never,
      sourceId: 0,
      file,
      mapping: init.mapping,
      dictionary,
      eventSink: (columns) => (sink = new PostingSink(columns.length)),
      keys: new PseudonymKeys(createPseudonymKeys(init.secret)),
      pseudonymise: createPseudonymizer(init.secret, { memo: false }),
      parseTime: makeTimeParser(init.mapping.timeFormat ?? 'auto', init.timeZone),
      maskedColumns: new Set(init.maskedColumns),
    });
    const rows = sink as unknown as PostingSink;
    post({ type: 'columns', columns: encoder.columns });
    const masker = new RejectMasker(file, new Set(init.sensitiveColumns));
    for await (const { rejected, rowsRead, bytesRead } of encodeBatches(file, encoder, masker, () => false)) {
      const { rows: count, data } = rows.take();
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      inFlight++;
      post(
        {
          type: 'batch',
          rows: count,
          data,
          strings: dictionary.takeNew(),
          rejected,
          rowsRead,
          bytesRead,
          timeFrom: encoder.timeFrom,
          timeTo: encoder.timeTo,
        },
        [data.buffer as ArrayBuffer],
      );
    }
    post({ type: 'done' });
  } catch (error) {
    post({ type: 'error', error: toErrorShape(error) });
  }
}
