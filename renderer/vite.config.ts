import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/renderer with relative URLs (`base: './'`), so the same files load from file:// in
// Electron and from the e2e host on 127.0.0.1.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // No inline <script> or data: module preload: the CSP allows only the app's own files.
    modulePreload: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});
