import type { FunnelscopeApi } from '../../../shared/api';

/**
 * What page.evaluate callbacks touch in the page. The root tsconfig has no DOM lib (it type-checks the Node
 * code), so inside those callbacks `globalThis` is cast to this; the callbacks run in Chromium.
 */
export interface PageElement {
  textContent: string | null;
  href: string;
  append(...nodes: PageElement[]): void;
}

export interface PageWindow {
  funnelscope?: FunnelscopeApi;
  location: { assign(url: string): void };
  open(url: string): unknown;
  document: { body: PageElement; createElement(tag: string): PageElement };
  [name: string]: unknown;
}
