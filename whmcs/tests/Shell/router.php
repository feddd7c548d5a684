<?php

/**
 * The WHMCS-like page shell for the browser tests: `php -S host:port tests/Shell/router.php` serves the
 * client area's product page, the module's custom pages, the cart, the invoice and the admin's service
 * tab from the stand-in's rows (a SQLite file, VPNFLOW_SHELL_DB), calling the module's functions and
 * rendering its templates with Debian's Smarty (VPNFLOW_SMARTY, 3 or 4), as WHMCS would.
 */

declare(strict_types=1);

require __DIR__ . '/../bootstrap.php';

use Vpnflow\Tests\Shell\WhmcsShell;

session_start();
(new WhmcsShell((int) (getenv('VPNFLOW_SMARTY') ?: 4)))->handle(
    (string) parse_url((string) $_SERVER['REQUEST_URI'], PHP_URL_PATH),
    $_SERVER['REQUEST_METHOD'],
);
