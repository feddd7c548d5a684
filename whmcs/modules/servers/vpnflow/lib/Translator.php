<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The module's messages for staff in the six languages of vpnflow's locales (en, pl, de, ru, uk, es),
 * in the admin's language (Locales); a missing translation falls back to English. The client area's
 * strings are ClientText's.
 */
final class Translator
{
    /** @var array<string, array<string, string>> */
    private static array $catalogs = [];

    private function __construct(public readonly string $code)
    {
    }

    public static function forLanguage(?string $whmcsLanguage): self
    {
        return new self(Locales::resolve($whmcsLanguage));
    }

    public static function forStaff(): self
    {
        return new self(Locales::ofStaff());
    }

    /** @return list<string> */
    public static function codes(): array
    {
        return Locales::codes();
    }

    /** @return array<string, string> */
    public static function catalog(string $code): array
    {
        return self::$catalogs[$code] ??= require __DIR__ . "/../lang/$code.php";
    }

    /** @param array<string, string|int|float> $values replace `{name}` placeholders */
    public function text(string $key, array $values = []): string
    {
        $template = self::catalog($this->code)[$key] ?? self::catalog('en')[$key] ?? $key;
        $replacements = [];
        foreach ($values as $name => $value) {
            $replacements['{' . $name . '}'] = (string) $value;
        }
        return strtr($template, $replacements);
    }
}
