<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The client area's strings in the client's language: the `panel` strings of vpnflow's locales, the
 * same the widget shows, with `{name}` placeholders. Templates get the whole catalog as $vpnflowText.
 */
final class ClientText
{
    public function __construct(public readonly string $locale)
    {
    }

    public static function forClient(int $clientId): self
    {
        return new self(Locales::ofClient($clientId));
    }

    /** @return array<string, mixed> */
    public function catalog(): array
    {
        return Locales::strings()['texts'][$this->locale];
    }

    /**
     * @param string $path dotted, e.g. `nav.statistics`
     * @param array<string, string|int|float> $values replace `{name}` placeholders
     */
    public function text(string $path, array $values = []): string
    {
        $node = $this->catalog();
        foreach (explode('.', $path) as $key) {
            $node = $node[$key] ?? null;
        }
        if (!is_string($node)) {
            throw new \LogicException("No client-area string $path");
        }
        $replacements = [];
        foreach ($values as $name => $value) {
            $replacements['{' . $name . '}'] = (string) $value;
        }
        return strtr($node, $replacements);
    }
}
