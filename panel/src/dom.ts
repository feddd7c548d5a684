/** Elements built with text nodes only: nothing vpnflow or WHMCS returns is ever parsed as HTML. */

type Child = Node | string;

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

/** The elements of the panel marked `data-live="<name>"` (the template renders them). */
export function parts(root: HTMLElement, name: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[data-live="${name}"]`)];
}

export function setText(root: HTMLElement, name: string, text: string): void {
  for (const part of parts(root, name)) part.textContent = text;
}

export function setShown(root: HTMLElement, name: string, shown: boolean): void {
  for (const part of parts(root, name)) part.hidden = !shown;
}

/** A table with a header row; each row is a list of cells, or one cell spanning the table. */
export function table(
  caption: string,
  headings: readonly string[],
  rows: readonly { cells: readonly Child[]; kind: string }[],
): HTMLTableElement {
  return element('table', { class: 'table vpnflow-table' }, [
    element('caption', { class: 'sr-only' }, [caption]),
    element('thead', {}, [
      element(
        'tr',
        {},
        headings.map((heading) => element('th', { scope: 'col' }, [heading])),
      ),
    ]),
    element(
      'tbody',
      {},
      rows.map((row) =>
        element(
          'tr',
          { 'data-row': row.kind },
          row.cells.map((cell) => element('td', {}, [cell])),
        ),
      ),
    ),
  ]);
}
