<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/** The part of WHMCS\View\Menu\Item that sidebar hooks use: named children with options. */
final class MenuItem
{
    /** @var array<string, MenuItem> */
    public array $children = [];

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
}
