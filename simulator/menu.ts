import type { PrintedRow } from './query';
import type { ApiRequest } from './request';

/** A command of a menu; returns the `=ret=` value of `!done`, if any. */
export type MenuCommand = (request: ApiRequest) => string | undefined;

export interface Menu {
  /** `/ppp/secret` */
  readonly path: string;
  /** Every row as print shows it, properties in print order, unset ones left out. */
  rows(): PrintedRow[];
  readonly commands: ReadonlyMap<string, MenuCommand>;
}
