/**
 * The app never navigates away from itself: a click on a link to another origin is cancelled here (the
 * Electron main process also denies navigation and new windows; this keeps the same promise in a browser).
 */
export function installLinkGuard(): void {
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(target instanceof HTMLAnchorElement)) return;
      // Downloads of charts and reports (blob:/data:) stay inside the page.
      if (target.hasAttribute('download')) return;
      const url = new URL(target.href, window.location.href);
      if (url.origin !== window.location.origin || target.target === '_blank') {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );
  window.open = () => null;
}
