<?php

/**
 * A small WHMCS stand-in: what WHMCS gives a server module at run time, emulated closely enough to run
 * the module's real code against the real vpnflow stack. Nothing here has been checked against a live
 * WHMCS; docs/whmcs.md lists what to verify there before a release.
 */

declare(strict_types=1);

error_reporting(E_ALL);
define('WHMCS', true);

require_once 'Illuminate/Database/autoload.php';

// WHMCS autoloads WHMCS\Module\Server\<Name>\X from modules/servers/<name>/lib/X.php.
spl_autoload_register(static function (string $class): void {
    $prefixes = [
        'WHMCS\\Module\\Server\\Vpnflow\\' => __DIR__ . '/../modules/servers/vpnflow/lib/',
        'Vpnflow\\Tests\\' => __DIR__ . '/',
    ];
    foreach ($prefixes as $prefix => $directory) {
        if (str_starts_with($class, $prefix)) {
            $file = $directory . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
        }
    }
});

require __DIR__ . '/StandIn/Capsule.php';
require __DIR__ . '/StandIn/Status.php';
require __DIR__ . '/StandIn/functions.php';

// The page shell (Shell/) keeps WHMCS's rows in a file shared by its requests and its setup commands.
Vpnflow\Tests\StandIn\WhmcsDatabase::install(getenv('VPNFLOW_SHELL_DB') ?: ':memory:');

require __DIR__ . '/../modules/servers/vpnflow/vpnflow.php';
require __DIR__ . '/../modules/servers/vpnflow/hooks.php';
