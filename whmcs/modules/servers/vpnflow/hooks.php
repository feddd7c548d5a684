<?php

/**
 * vpnflow's hooks: paid traffic through the outbox (InvoicePaid writes and sends, the cron retries),
 * the product page's pane for settings beyond the 24 slots, and the client area's sidebar entries.
 */

use WHMCS\Module\Server\Vpnflow\ClientSidebar;
use WHMCS\Module\Server\Vpnflow\Module;
use WHMCS\Module\Server\Vpnflow\ProductConfigPane;
use WHMCS\Module\Server\Vpnflow\TrafficCredits;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

add_hook('InvoicePaid', 1, static function (array $vars): void {
    Module::guard('InvoicePaid', static fn () => (new TrafficCredits())->invoicePaid((int) $vars['invoiceid']));
});

add_hook('AfterCronJob', 1, static function (): void {
    Module::guard('AfterCronJob', static fn () => (new TrafficCredits())->retryDue());
});

add_hook('AdminProductConfigFields', 1, static function (array $vars): array {
    return Module::guard('AdminProductConfigFields', static fn () => ProductConfigPane::fields((int) $vars['pid']), []);
});

add_hook('AdminProductConfigFieldsSave', 1, static function (array $vars): void {
    Module::guard('AdminProductConfigFieldsSave', static fn () => ProductConfigPane::save((int) $vars['pid'], $_POST));
});

add_hook('ClientAreaPrimarySidebar', 1, static function ($primarySidebar): void {
    Module::guard('ClientAreaPrimarySidebar', static fn () => ClientSidebar::addEntries($primarySidebar, Menu::context('service')));
});
