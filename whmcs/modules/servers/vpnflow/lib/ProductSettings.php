<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The product's module settings and how they become vpnflow's `product` object.
 *
 * WHMCS stores module settings by position (`tblproducts.configoption1..24`), so SLOTS is frozen:
 * reordering or inserting would silently move every saved value after it onto another setting. All 24
 * positions are taken; a new setting goes into the module's own table (ProductExtras), never here.
 * One Time and Free Account share a slot because a product is sold either once or free, never both.
 *
 * An empty slot is left out of the product, so vpnflow applies its default, except for a traffic
 * amount, which vpnflow requires for the service's cycle (0 = unlimited must be typed on purpose).
 */
final class ProductSettings
{
    /**
     * position => [friendly name, WHMCS field type, product field paths, default, description]
     */
    public const SLOTS = [
        1 => ['PPP profile', 'text', ['pppProfile'], 'default', 'The /ppp/profile on the router the account uses'],
        2 => ['PPP service', 'dropdown', ['pppService'], 'any', 'Which PPP server may accept the account'],
        3 => ['Comment prefix', 'text', ['commentPrefix'], 'vpnflow', 'Starts the comment of the account on the router'],
        4 => ['Download Mbit/s', 'text', ['downloadMbps'], '0', 'The client\'s download limit; 0 = unlimited'],
        5 => ['Upload Mbit/s', 'text', ['uploadMbps'], '0', 'The client\'s upload limit; 0 = unlimited'],
        6 => ['Traffic GB Monthly', 'text', ['trafficGb.monthly'], '', 'Granted each month; 0 = unlimited'],
        7 => ['Traffic GB Quarterly', 'text', ['trafficGb.quarterly'], '', 'Granted each quarter; 0 = unlimited'],
        8 => ['Traffic GB Semi-Annually', 'text', ['trafficGb.semiannually'], '', 'Granted each half year; 0 = unlimited'],
        9 => ['Traffic GB Annually', 'text', ['trafficGb.annually'], '', 'Granted each year; 0 = unlimited'],
        10 => ['Traffic GB Biennially', 'text', ['trafficGb.biennially'], '', 'Granted every two years; 0 = unlimited'],
        11 => ['Traffic GB Triennially', 'text', ['trafficGb.triennially'], '', 'Granted every three years; 0 = unlimited'],
        12 => ['Traffic GB One Time / Free', 'text', ['trafficGb.onetime', 'trafficGb.free'], '', 'Granted once; 0 = unlimited'],
        13 => ['Low-balance threshold GB', 'text', ['lowBalanceThresholdGb'], '1', 'A notice is mailed below this; 0 = never'],
        14 => ['History days', 'text', ['historyDays'], '0', 'Days of daily usage kept; 0 = all'],
        15 => ['Setup instructions URL', 'text', ['setupInstructionsUrl'], '', 'Shown to the client (http or https)'],
        16 => ['PPTP offered', 'yesno', ['protocols.pptp.enabled'], '', 'Show PPTP to the client'],
        17 => ['PPTP custom HTML', 'textarea', ['protocols.pptp.customHtml'], '', 'Extra PPTP instructions'],
        18 => ['L2TP offered', 'yesno', ['protocols.l2tp.enabled'], '', 'Show L2TP/IPsec to the client'],
        19 => ['L2TP IPsec PSK', 'text', ['protocols.l2tp.ipsecSecret'], '', 'The router\'s IPsec pre-shared key'],
        20 => ['L2TP custom HTML', 'textarea', ['protocols.l2tp.customHtml'], '', 'Extra L2TP instructions'],
        21 => ['OpenVPN offered', 'yesno', ['protocols.ovpn.enabled'], '', 'Show OpenVPN (profile in the vpnflow pane)'],
        22 => ['OpenVPN custom HTML', 'textarea', ['protocols.ovpn.customHtml'], '', 'Extra OpenVPN instructions'],
        23 => ['SSTP offered', 'yesno', ['protocols.sstp.enabled'], '', 'Show SSTP to the client'],
        24 => ['SSTP custom HTML', 'textarea', ['protocols.sstp.customHtml'], '', 'Extra SSTP instructions'],
    ];

    public const PPP_SERVICES = ['any', 'pptp', 'l2tp', 'sstp', 'ovpn'];

    /** The traffic addon's one setting (tblmodule_configuration `configoption1` of the addon). */
    public const ADDON_TRAFFIC_SETTING = 'Traffic (GB)';

    /** Product fields that are not in a slot, with the name staff see on the product's vpnflow pane. */
    private const PANE_FIELDS = ['protocols.ovpn.profile' => 'OpenVPN profile (.ovpn)'];

    /** @return array<string, array<string, mixed>> ConfigOptions as WHMCS reads it, in slot order */
    public static function configOptions(): array
    {
        $options = [];
        foreach (self::SLOTS as [$name, $type, , $default, $description]) {
            $option = ['FriendlyName' => $name, 'Type' => $type, 'Default' => $default, 'Description' => $description];
            if ($type === 'text') {
                $option['Size'] = $name === 'Setup instructions URL' || $name === 'L2TP IPsec PSK' ? '40' : '12';
            } elseif ($type === 'textarea') {
                $option += ['Rows' => '3', 'Cols' => '60'];
            } elseif ($type === 'dropdown') {
                $option['Options'] = implode(',', self::PPP_SERVICES);
            }
            $options[$name] = $option;
        }
        return $options;
    }

    /** @return array<string, array<string, mixed>> the traffic addon's settings page (configaddons.php) */
    public static function addonConfigOptions(): array
    {
        return [self::ADDON_TRAFFIC_SETTING => [
            'FriendlyName' => self::ADDON_TRAFFIC_SETTING,
            'Type' => 'text',
            'Size' => '10',
            'Description' => 'GB credited once per paid invoice line of this addon',
        ]];
    }

    /**
     * vpnflow's `product` object from the slots (`$params['configoption1'..'24']`) and the pane.
     *
     * @param array<string, mixed> $params
     * @return array<string, mixed>
     */
    public static function product(array $params, ProductExtras $extras): array
    {
        $product = [];
        foreach (self::SLOTS as $position => [, $type, $fields]) {
            $value = self::slotValue($type, $fields[0], (string) ($params["configoption$position"] ?? ''));
            if ($value === null) {
                continue;
            }
            foreach ($fields as $field) {
                self::put($product, $field, $value);
            }
        }
        if (trim($extras->ovpnProfile) !== '') {
            self::put($product, 'protocols.ovpn.profile', $extras->ovpnProfile);
        }
        return $product;
    }

    /** The position of the slot that holds a product field (`trafficGb.free` => 12), or null. */
    public static function slotOf(string $field): ?int
    {
        foreach (self::SLOTS as $position => [, , $fields]) {
            if (in_array($field, $fields, true)) {
                return $position;
            }
        }
        return null;
    }

    /**
     * The setting staff know for a field vpnflow names in a 400: `product.downloadMbps` =>
     * "Download Mbit/s"; a group (`product.trafficGb`) is named by its first setting's stem.
     */
    public static function settingName(string $field): ?string
    {
        $field = (string) preg_replace('/^product\./', '', $field);
        if (isset(self::PANE_FIELDS[$field])) {
            return self::PANE_FIELDS[$field];
        }
        $position = self::slotOf($field);
        if ($position !== null) {
            return self::SLOTS[$position][0];
        }
        foreach (self::SLOTS as [$name, , $fields]) {
            if (str_starts_with($fields[0], "$field.")) {
                return $field === 'trafficGb' ? 'Traffic GB' : $name;
            }
        }
        return null;
    }

    private static function slotValue(string $type, string $field, string $raw): mixed
    {
        if ($type === 'yesno') {
            return $raw === 'on' || $raw === '1' || strtolower($raw) === 'yes';
        }
        if ($type === 'textarea') {
            return trim($raw) === '' ? null : $raw;
        }
        $value = trim($raw);
        if ($value === '') {
            return null;
        }
        // vpnflow takes whole days as a number; anything else is sent as typed so vpnflow names the problem.
        if ($field === 'historyDays' && preg_match('/^\d{1,9}$/', $value)) {
            return (int) $value;
        }
        return $value;
    }

    /** @param array<string, mixed> $product */
    private static function put(array &$product, string $path, mixed $value): void
    {
        $keys = explode('.', $path);
        $last = array_pop($keys);
        $node = &$product;
        foreach ($keys as $key) {
            $node[$key] ??= [];
            $node = &$node[$key];
        }
        $node[$last] = $value;
    }
}
