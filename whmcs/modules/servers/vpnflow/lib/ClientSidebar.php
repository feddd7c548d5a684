<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * The client area's pages of a vpnflow service under "Service Details Actions": the overview, traffic
 * statistics, the traffic history and buying traffic. A page the product does not allow stays in the
 * menu, dimmed and without a link (WHMCS renders a disabled item so); its address answers "Access denied".
 */
final class ClientSidebar
{
    public const PAGES = ['overview' => null, 'statistics' => 'statistics', 'history' => 'history', 'buyTraffic' => 'buyTraffic'];

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
        $text = ClientText::forClient((int) $row->userid);
        $order = 100;
        foreach (self::PAGES as $page => $permission) {
            $allowed = $permission === null || $extras->allows($permission);
            $entry = $actions->addChild("vpnflow-$page", [
                'label' => $text->text("nav.$page"),
                'uri' => $allowed ? ClientPage::linkFor((int) $row->id, $page) : null,
                'order' => $order,
            ]);
            if (!$allowed) {
                $entry->disable();
            }
            $order += 10;
        }
    }
}
