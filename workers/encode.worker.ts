import { parentPort, workerData } from 'node:worker_threads';
import { runEncode } from './ingest/pipeline/run-encode';
import type { EncodeInit } from './ingest/pipeline/protocol';

if (!parentPort) throw new Error('encode.worker must run in a worker thread');
await runEncode(workerData as EncodeInit, parentPort);
