import type { PanelFormat } from './texts';

const COPIED_SHOWN_MS = 1500;

/**
 * The template renders copy buttons hidden (they need script); each names the element whose text it
 * copies in `data-copy`.
 */
export function enableCopyButtons(root: HTMLElement, format: PanelFormat): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy ?? '');
    if (!source) continue;
    const label = button.textContent ?? format.texts.common.copy;
    button.hidden = false;
    button.addEventListener('click', () => {
      void navigator.clipboard.writeText(source.textContent ?? '').then(() => {
        button.textContent = format.texts.common.copied;
        setTimeout(() => (button.textContent = label), COPIED_SHOWN_MS);
      });
    });
  }
}
