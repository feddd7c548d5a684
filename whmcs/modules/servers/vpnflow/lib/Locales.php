<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * vpnflow's six languages and the one table from WHMCS language names to them, shared with vpnflow's
 * e-mails and the client-area widget: lang/client-area.json is the copy `npm run whmcs:strings` writes
 * from vpnflow's locales/, with the client area's strings.
 */
final class Locales
{
    public const DEFAULT = 'en';

    /** @var array{locales: list<string>, languages: array<string, string>, texts: array<string, array<string, mixed>>}|null */
    private static ?array $strings = null;

    /** @return array{locales: list<string>, languages: array<string, string>, texts: array<string, array<string, mixed>>} */
    public static function strings(): array
    {
        return self::$strings ??= json_decode(
            (string) file_get_contents(__DIR__ . '/../lang/client-area.json'),
            true,
            512,
            JSON_THROW_ON_ERROR,
        );
    }

    /** @return list<string> */
    public static function codes(): array
    {
        return self::strings()['locales'];
    }

    /**
     * As vpnflow's resolveLocale: a WHMCS language name (`english`, `Polish`) or an ISO 639 code with
     * or without a region (`pl`, `de-AT`, `es_ES`, `ukr`); anything else is English.
     */
    public static function resolve(?string $language): string
    {
        $normalized = strtolower(trim((string) $language));
        $primary = preg_split('/[-_]/', $normalized)[0];
        if (in_array($primary, self::codes(), true)) {
            return $primary;
        }
        $languages = self::strings()['languages'];
        return $languages[$normalized] ?? $languages[$primary] ?? self::DEFAULT;
    }

    /** The logged-in admin's language, or the system default when no admin is logged in (cron). */
    public static function ofStaff(): string
    {
        $adminId = (int) ($_SESSION['adminid'] ?? 0);
        $language = $adminId > 0 ? Capsule::table('tbladmins')->where('id', $adminId)->value('language') : null;
        return self::resolve($language ?: self::systemLanguage());
    }

    /** The language the visitor chose, else the client's own, else the system default. */
    public static function ofClient(int $clientId): string
    {
        $language = $_SESSION['Language'] ?? null;
        if (!$language && $clientId > 0) {
            $language = Capsule::table('tblclients')->where('id', $clientId)->value('language');
        }
        return self::resolve($language ?: self::systemLanguage());
    }

    private static function systemLanguage(): ?string
    {
        return Capsule::table('tblconfiguration')->where('setting', 'Language')->value('value');
    }
}
