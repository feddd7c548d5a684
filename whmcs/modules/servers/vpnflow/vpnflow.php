<?php

/**
 * vpnflow: paid VPN accounts on MikroTik routers, run by the vpnflow API. Each WHMCS server record is
 * one vpnflow router (Username = router id, Password = vpnflow's WHMCS_SHARED_SECRET). The functions
 * below are WHMCS's entry points only; the work is in lib/ (namespace WHMCS\Module\Server\Vpnflow).
 */

use WHMCS\Module\Server\Vpnflow\AccountList;
use WHMCS\Module\Server\Vpnflow\AdminServicesTab;
use WHMCS\Module\Server\Vpnflow\ClientArea;
use WHMCS\Module\Server\Vpnflow\ClientPages;
use WHMCS\Module\Server\Vpnflow\ConnectionTest;
use WHMCS\Module\Server\Vpnflow\ProductSettings;
use WHMCS\Module\Server\Vpnflow\ServerRecord;
use WHMCS\Module\Server\Vpnflow\ServiceCommands;
use WHMCS\Module\Server\Vpnflow\Translator;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

function vpnflow_MetaData(): array
{
    return [
        'DisplayName' => 'vpnflow (MikroTik VPN)',
        'APIVersion' => '1.1',
        'RequiresServer' => true,
        'DefaultNonSSLPort' => (string) ServerRecord::DEFAULT_PORT,
        'DefaultSSLPort' => (string) ServerRecord::DEFAULT_SSL_PORT,
        'ListAccountsUniqueIdentifierDisplayName' => 'VPN username',
        'ListAccountsUniqueIdentifierField' => 'username',
    ];
}

/** The product's 24 settings; on the addon page only the traffic addon's "Traffic (GB)". */
function vpnflow_ConfigOptions(): array
{
    if (basename((string) ($_SERVER['SCRIPT_NAME'] ?? '')) === 'configaddons.php') {
        return ProductSettings::addonConfigOptions();
    }
    return ProductSettings::configOptions();
}

function vpnflow_TestConnection(array $params): array
{
    return ConnectionTest::run($params);
}

function vpnflow_CreateAccount(array $params): string
{
    return ServiceCommands::fromParams($params)->create();
}

function vpnflow_SuspendAccount(array $params): string
{
    return ServiceCommands::fromParams($params)->suspend();
}

function vpnflow_UnsuspendAccount(array $params): string
{
    return ServiceCommands::fromParams($params)->unsuspend();
}

function vpnflow_TerminateAccount(array $params): string
{
    return ServiceCommands::fromParams($params)->terminate();
}

function vpnflow_Renew(array $params): string
{
    return ServiceCommands::fromParams($params)->renew();
}

function vpnflow_ChangePassword(array $params): string
{
    return ServiceCommands::fromParams($params)->changePassword();
}

function vpnflow_ChangePackage(array $params): string
{
    return ServiceCommands::fromParams($params)->changePackage();
}

function vpnflow_AdminCustomButtonArray(): array
{
    $t = Translator::forStaff();
    return [$t->text('button.resetConnection') => 'resetConnection', $t->text('button.retryRouter') => 'retryRouter'];
}

/**
 * The client area's pages and its one action, Reset connection (a form on the overview). None is a
 * WHMCS button: the module's own menu entries and forms keep forbidden ones visible, dimmed.
 */
function vpnflow_ClientAreaAllowedFunctions(): array
{
    return ['statistics', 'history', 'buyTraffic', 'downloadProfile', 'resetConnection'];
}

function vpnflow_statistics(array $params): array
{
    return ClientPages::statistics($params, $_GET);
}

function vpnflow_history(array $params): array
{
    return ClientPages::history($params);
}

function vpnflow_buyTraffic(array $params): array
{
    return ClientPages::buyTraffic($params);
}

/** The OpenVPN profile as a download: the module answers the request itself, as WHMCS has no file response. */
function vpnflow_downloadProfile(array $params): array
{
    $profile = ClientPages::profile($params);
    if ($profile === null) {
        return ClientPages::profileMissing($params);
    }
    header('Content-Type: application/x-openvpn-profile');
    header('Content-Disposition: attachment; filename="' . $profile['filename'] . '"');
    header('Cache-Control: no-store');
    echo $profile['content'];
    exit;
}

function vpnflow_resetConnection(array $params): string
{
    return ServiceCommands::fromParams($params)->resetConnection();
}

function vpnflow_retryRouter(array $params): string
{
    return ServiceCommands::fromParams($params)->retryRouter();
}

function vpnflow_ClientArea(array $params): array
{
    return ClientArea::render($params);
}

function vpnflow_AdminServicesTabFields(array $params): array
{
    return AdminServicesTab::fields($params);
}

function vpnflow_ListAccounts(array $params): array
{
    return AccountList::run($params);
}
