<?php

/** WHMCS's global functions a module calls, recording what they are given. */

declare(strict_types=1);

use Vpnflow\Tests\StandIn\Recorder;
use Vpnflow\Tests\StandIn\WhmcsDatabase;

function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = []): void
{
    Recorder::$moduleCalls[] = compact('module', 'action', 'requestString', 'responseData', 'processedData', 'replaceVars');
}

function logActivity($message, $userId = 0): void
{
    Recorder::$activities[] = ['message' => (string) $message, 'userId' => (int) $userId];
}

/** Only the commands the module uses, applied to the stand-in's tables as WHMCS documents them. */
function localAPI($command, $values = [], $adminUser = ''): array
{
    Recorder::$localApiCalls[] = ['command' => $command, 'values' => $values];
    return WhmcsDatabase::localApi((string) $command, (array) $values);
}

function add_hook($hookPoint, $priority, $function): void
{
    Recorder::$hooks[$hookPoint][] = ['priority' => (int) $priority, 'function' => $function];
}

/** WHMCS encrypts stored passwords with its own key; only the round trip matters to the module. */
function encrypt($value): string
{
    return 'enc:' . base64_encode((string) $value);
}

function decrypt($value): string
{
    return str_starts_with((string) $value, 'enc:') ? base64_decode(substr((string) $value, 4)) : '';
}

/**
 * WHMCS formats an amount in a currency with the currency's prefix and suffix (tblcurrencies), e.g.
 * "$3.76 USD"; the real function returns a WHMCS\View\Formatter\Price, which prints so.
 */
function formatCurrency($amount, $currencyId = null): string
{
    $currency = WhmcsDatabase::currency((int) $currencyId);
    return $currency->prefix . number_format((float) $amount, 2, '.', ',') . $currency->suffix;
}

/** WHMCS's menu facade: hooks ask it for the page's context objects. */
class Menu
{
    /** @var array<string, object|null> */
    public static array $context = [];

    public static function context(string $key): ?object
    {
        return self::$context[$key] ?? null;
    }
}
