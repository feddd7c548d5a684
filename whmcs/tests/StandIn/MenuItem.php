<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/** The part of WHMCS\View\Menu\Item that sidebar hooks use: named children with options, disabled or not. */
final class MenuItem
{
    /** @var array<string, MenuItem> */
    public array $children = [];

    private bool $disabled = false;

    /** @param array<string, mixed> $options label, uri, order */
    public function __construct(public readonly string $name, public readonly array $options = [])
    {
    }

    public function getChild(string $name): ?self
    {
        return $this->children[$name] ?? null;
    }

    /** @param array<string, mixed> $options */
    public function addChild(string $name, array $options = []): self
    {
        return $this->children[$name] = new self($name, $options);
    }

    /** Twenty-One's sidebar renders a disabled item dimmed and without its link. */
    public function disable(): self
    {
        $this->disabled = true;
        return $this;
    }

    public function isDisabled(): bool
    {
        return $this->disabled;
    }

    /** @return list<MenuItem> in their `order` */
    public function getChildren(): array
    {
        $children = array_values($this->children);
        usort($children, static fn (self $a, self $b) => ($a->options['order'] ?? 0) <=> ($b->options['order'] ?? 0));
        return $children;
    }
}
