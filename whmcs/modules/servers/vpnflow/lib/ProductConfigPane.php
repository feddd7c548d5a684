<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/** The vpnflow pane on a product's page (AdminProductConfigFields and its Save hook): ProductExtras. */
final class ProductConfigPane
{
    /** @return array<string, string> label => HTML; nothing for products of other modules */
    public static function fields(int $productId): array
    {
        if (!self::isVpnflowProduct($productId)) {
            return [];
        }
        $t = Translator::forStaff();
        $extras = ProductExtras::forProduct($productId);
        $checkboxes = '';
        foreach (array_keys(ProductExtras::PERMISSIONS) as $permission) {
            $checkboxes .= sprintf(
                '<label class="checkbox-inline"><input type="checkbox" name="vpnflow_%s" value="1"%s> %s</label> ',
                $permission,
                $extras->allows($permission) ? ' checked' : '',
                htmlspecialchars($t->text("pane.$permission"), ENT_QUOTES, 'UTF-8'),
            );
        }
        $refresh = sprintf(
            '<input type="number" name="vpnflow_refresh_seconds" min="%d" max="%d" value="%d" class="form-control input-inline input-100"> %s',
            ProductExtras::MIN_REFRESH_SECONDS,
            ProductExtras::MAX_REFRESH_SECONDS,
            $extras->refreshSeconds,
            htmlspecialchars($t->text('pane.refreshHelp'), ENT_QUOTES, 'UTF-8'),
        );
        $profile = '<textarea name="vpnflow_ovpn_profile" rows="6" class="form-control">'
            . htmlspecialchars($extras->ovpnProfile, ENT_QUOTES, 'UTF-8') . '</textarea>';
        return [
            $t->text('pane.clientArea') => $checkboxes,
            $t->text('pane.refreshSeconds') => $refresh,
            $t->text('pane.ovpnProfile') => $profile,
        ];
    }

    /** @param array<string, mixed> $request the posted product form */
    public static function save(int $productId, array $request): void
    {
        if (self::isVpnflowProduct($productId)) {
            ProductExtras::saveForm($productId, $request);
        }
    }

    private static function isVpnflowProduct(int $productId): bool
    {
        return Capsule::table('tblproducts')->where('id', $productId)->value('servertype') === Module::NAME;
    }
}
