<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * The module's own strings in the six languages of vpnflow's locales (en, pl, de, ru, uk, es), chosen
 * by WHMCS language name. Staff read them in their admin language, or the system default when no
 * admin is logged in (cron); a missing translation falls back to English.
 */
final class Translator
{
    /** WHMCS language names (its Ukrainian file is spelt "ukranian") to the files in lang/. */
    private const LANGUAGES = [
        'english' => 'en',
        'polish' => 'pl',
        'german' => 'de',
        'russian' => 'ru',
        'ukranian' => 'uk',
        'ukrainian' => 'uk',
        'spanish' => 'es',
    ];

    /** @var array<string, array<string, string>> */
    private static array $catalogs = [];

    private function __construct(public readonly string $code)
    {
    }

    public static function forLanguage(?string $whmcsLanguage): self
    {
        return new self(self::LANGUAGES[strtolower(trim((string) $whmcsLanguage))] ?? 'en');
    }

    public static function forStaff(): self
    {
        $adminId = (int) ($_SESSION['adminid'] ?? 0);
        $language = $adminId > 0 ? Capsule::table('tbladmins')->where('id', $adminId)->value('language') : null;
        return self::forLanguage($language ?: self::systemLanguage());
    }

    /** The language the visitor chose, else the client's own, else the system default. */
    public static function forClient(int $clientId): self
    {
        $language = $_SESSION['Language'] ?? null;
        if (!$language && $clientId > 0) {
            $language = Capsule::table('tblclients')->where('id', $clientId)->value('language');
        }
        return self::forLanguage($language ?: self::systemLanguage());
    }

    private static function systemLanguage(): ?string
    {
        return Capsule::table('tblconfiguration')->where('setting', 'Language')->value('value');
    }

    /** @return list<string> */
    public static function codes(): array
    {
        return array_values(array_unique(self::LANGUAGES));
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
