<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * Entries under "Service Details Actions" on a vpnflow service's page: traffic statistics and history
 * (sections of the product page the client-area templates fill) and buying more traffic (WHMCS's addon
 * cart), each only when the product allows it.
 */
final class ClientSidebar
{
    /**
     * @param object $primarySidebar WHMCS\View\Menu\Item
     * @param object|null $service WHMCS\Service\Service of the page, if it is a service's page
     */
    public static function addEntries(object $primarySidebar, ?object $service): void
    {
        $actions = $primarySidebar->getChild('Service Details Actions');
        if ($actions === null || $service === null) {
            return;
        }
        $row = Capsule::table('tblhosting')
            ->join('tblproducts', 'tblproducts.id', '=', 'tblhosting.packageid')
            ->where('tblhosting.id', (int) $service->id)
            ->first(['tblhosting.id', 'tblhosting.userid', 'tblhosting.packageid', 'tblhosting.domainstatus', 'tblproducts.servertype']);
        if ($row === null || $row->servertype !== Module::NAME || !in_array($row->domainstatus, ['Active', 'Suspended'], true)) {
            return;
        }
        $extras = ProductExtras::forProduct((int) $row->packageid);
        $t = Translator::forClient((int) $row->userid);
        $page = 'clientarea.php?action=productdetails&id=' . (int) $row->id;
        $entries = [
            'statistics' => $page . '#vpnflow-statistics',
            'history' => $page . '#vpnflow-history',
            'buyTraffic' => 'cart.php?gid=addons&pid=' . (int) $row->id,
        ];
        $order = 100;
        foreach ($entries as $permission => $uri) {
            if ($extras->allows($permission)) {
                $actions->addChild("vpnflow-$permission", ['label' => $t->text("client.$permission"), 'uri' => $uri, 'order' => $order]);
            }
            $order += 10;
        }
    }
}
