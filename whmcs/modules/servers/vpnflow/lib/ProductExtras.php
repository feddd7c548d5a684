<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * A product's settings beyond the 24 module-setting slots, kept in mod_vpnflow_product_settings and
 * edited on the product page through the AdminProductConfigFields hooks: what the client area lets
 * the client do and see, how often its live view refreshes, and the OpenVPN profile.
 */
final class ProductExtras
{
    public const MIN_REFRESH_SECONDS = 10;
    public const MAX_REFRESH_SECONDS = 300;
    public const DEFAULT_REFRESH_SECONDS = 30;

    /** Form field and column of each client-area permission; all are allowed until staff say otherwise. */
    public const PERMISSIONS = [
        'statistics' => 'show_statistics',
        'history' => 'show_history',
        'buyTraffic' => 'allow_buy_traffic',
        'resetConnection' => 'allow_reset_connection',
        'showPassword' => 'show_password',
    ];

    /** @param array<string, bool> $permissions keyed as PERMISSIONS */
    public function __construct(
        public readonly array $permissions,
        public readonly int $refreshSeconds,
        public readonly string $ovpnProfile,
    ) {
    }

    public static function defaults(): self
    {
        return new self(array_fill_keys(array_keys(self::PERMISSIONS), true), self::DEFAULT_REFRESH_SECONDS, '');
    }

    public static function forProduct(int $productId): self
    {
        ModuleTables::ensure();
        $row = Capsule::table(ModuleTables::PRODUCT_SETTINGS)->where('product_id', $productId)->first();
        if ($row === null) {
            return self::defaults();
        }
        $permissions = [];
        foreach (self::PERMISSIONS as $name => $column) {
            $permissions[$name] = (bool) $row->$column;
        }
        return new self($permissions, (int) $row->refresh_seconds, (string) $row->ovpn_profile);
    }

    public function allows(string $permission): bool
    {
        return $this->permissions[$permission] ?? false;
    }

    /**
     * Saves the pane's form. Unticked checkboxes are absent from a posted form, so absence means "no";
     * a refresh interval out of range is brought to the nearest bound, an unreadable one to the default.
     *
     * @param array<string, mixed> $form the posted fields, named `vpnflow_<permission>`, `vpnflow_refresh_seconds`, `vpnflow_ovpn_profile`
     */
    public static function saveForm(int $productId, array $form): self
    {
        ModuleTables::ensure();
        $permissions = [];
        foreach (array_keys(self::PERMISSIONS) as $name) {
            $permissions[$name] = !empty($form["vpnflow_$name"]);
        }
        $refresh = trim((string) ($form['vpnflow_refresh_seconds'] ?? ''));
        $refreshSeconds = preg_match('/^\d{1,6}$/', $refresh)
            ? max(self::MIN_REFRESH_SECONDS, min(self::MAX_REFRESH_SECONDS, (int) $refresh))
            : self::DEFAULT_REFRESH_SECONDS;
        $extras = new self($permissions, $refreshSeconds, str_replace("\r\n", "\n", (string) ($form['vpnflow_ovpn_profile'] ?? '')));
        $row = ['refresh_seconds' => $extras->refreshSeconds, 'ovpn_profile' => $extras->ovpnProfile, 'updated_at' => gmdate('Y-m-d H:i:s')];
        foreach (self::PERMISSIONS as $name => $column) {
            $row[$column] = $permissions[$name];
        }
        Capsule::table(ModuleTables::PRODUCT_SETTINGS)->updateOrInsert(['product_id' => $productId], $row);
        return $extras;
    }
}
