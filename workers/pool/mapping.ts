// Mapping-file reading, re-exported for main/ (which may import only the pool client of workers/).
export { readMappingFile } from '../ingest/mapping-file';
