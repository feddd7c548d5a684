import { noSuchItem } from './trap';
import { parseId } from './values';

export interface Item {
  readonly id: number;
}

/** Items of one menu in creation order; ids count up and are never reused, like RouterOS. */
export class ItemTable<T extends Item> {
  private readonly items = new Map<number, T>();
  /** Name lookups without a scan; dropped whenever names may have changed, rebuilt on demand. */
  private nameIndex: Map<string, T> | undefined;
  private nextId: number;

  constructor(
    private readonly nameOf: ((item: T) => string) | undefined,
    firstId = 1,
  ) {
    this.nextId = firstId;
  }

  allocateId(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }

  insert(item: T): T {
    this.items.set(item.id, item);
    if (this.nameOf && this.nameIndex && !this.nameIndex.has(this.nameOf(item))) {
      this.nameIndex.set(this.nameOf(item), item);
    }
    return item;
  }

  /** Must follow any change of an item's name. */
  namesChanged(): void {
    this.nameIndex = undefined;
  }

  get(id: number): T | undefined {
    return this.items.get(id);
  }

  delete(id: number): boolean {
    const item = this.items.get(id);
    if (item && this.nameOf && this.nameIndex?.get(this.nameOf(item)) === item) this.nameIndex = undefined;
    return this.items.delete(id);
  }

  all(): IterableIterator<T> {
    return this.items.values();
  }

  get size(): number {
    return this.items.size;
  }

  findByName(name: string): T | undefined {
    const nameOf = this.nameOf;
    if (!nameOf) return undefined;
    if (!this.nameIndex) {
      this.nameIndex = new Map();
      for (const item of this.items.values())
        if (!this.nameIndex.has(nameOf(item))) this.nameIndex.set(nameOf(item), item);
    }
    return this.nameIndex.get(name);
  }

  /** Resolves `=numbers=`/`=.id=`: comma-separated ids or, in named menus, names. */
  resolve(numbers: string): T[] {
    const resolved: T[] = [];
    for (const reference of numbers.split(',')) {
      if (reference === '') continue;
      const id = parseId(reference);
      const item = id !== undefined ? this.items.get(id) : this.findByName(reference);
      if (!item) throw noSuchItem();
      if (!resolved.includes(item)) resolved.push(item);
    }
    return resolved;
  }
}
