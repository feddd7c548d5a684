<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use Vpnflow\Tests\StandIn\ModuleTestCase;
use WHMCS\Module\Server\Vpnflow\ProductExtras;
use WHMCS\Module\Server\Vpnflow\ProductSettings;

final class ProductSettingsTest extends ModuleTestCase
{
    /**
     * Saved products hold their settings by position: this list may only ever grow at its end, and
     * all 24 positions WHMCS offers are taken.
     */
    private const GOLDEN = [
        1 => ['PPP profile', 'pppProfile'],
        2 => ['PPP service', 'pppService'],
        3 => ['Comment prefix', 'commentPrefix'],
        4 => ['Download Mbit/s', 'downloadMbps'],
        5 => ['Upload Mbit/s', 'uploadMbps'],
        6 => ['Traffic GB Monthly', 'trafficGb.monthly'],
        7 => ['Traffic GB Quarterly', 'trafficGb.quarterly'],
        8 => ['Traffic GB Semi-Annually', 'trafficGb.semiannually'],
        9 => ['Traffic GB Annually', 'trafficGb.annually'],
        10 => ['Traffic GB Biennially', 'trafficGb.biennially'],
        11 => ['Traffic GB Triennially', 'trafficGb.triennially'],
        12 => ['Traffic GB One Time / Free', 'trafficGb.onetime trafficGb.free'],
        13 => ['Low-balance threshold GB', 'lowBalanceThresholdGb'],
        14 => ['History days', 'historyDays'],
        15 => ['Setup instructions URL', 'setupInstructionsUrl'],
        16 => ['PPTP offered', 'protocols.pptp.enabled'],
        17 => ['PPTP custom HTML', 'protocols.pptp.customHtml'],
        18 => ['L2TP offered', 'protocols.l2tp.enabled'],
        19 => ['L2TP IPsec PSK', 'protocols.l2tp.ipsecSecret'],
        20 => ['L2TP custom HTML', 'protocols.l2tp.customHtml'],
        21 => ['OpenVPN offered', 'protocols.ovpn.enabled'],
        22 => ['OpenVPN custom HTML', 'protocols.ovpn.customHtml'],
        23 => ['SSTP offered', 'protocols.sstp.enabled'],
        24 => ['SSTP custom HTML', 'protocols.sstp.customHtml'],
    ];

    public function testTheSlotsAreTheFrozenGoldenList(): void
    {
        $actual = [];
        foreach (ProductSettings::SLOTS as $position => [$name, , $fields]) {
            $actual[$position] = [$name, implode(' ', $fields)];
        }
        $this->assertSame(self::GOLDEN, $actual);
    }

    public function testTheProductPageShowsTheSlotsInTheirOrder(): void
    {
        $options = vpnflow_ConfigOptions();
        $this->assertSame(array_column(self::GOLDEN, 0), array_keys($options));
        $this->assertSame(array_column(self::GOLDEN, 0), array_column(array_values($options), 'FriendlyName'));
        $this->assertSame('any,pptp,l2tp,sstp,ovpn', $options['PPP service']['Options']);
        $this->assertSame('yesno', $options['L2TP offered']['Type']);
    }

    public function testTheAddonSetupPageShowsOnlyTheTrafficSetting(): void
    {
        $_SERVER['SCRIPT_NAME'] = '/admin/configaddons.php';
        $this->assertSame(['Traffic (GB)'], array_keys(vpnflow_ConfigOptions()));
    }

    /** @return iterable<string, array{int, string, mixed}> slot, what staff type, what vpnflow gets */
    public function slotValues(): iterable
    {
        $typed = [
            1 => ['vpn-gold', 'vpn-gold'],
            2 => ['l2tp', 'l2tp'],
            3 => ['acme', 'acme'],
            4 => ['12.5', '12.5'],
            5 => ['3', '3'],
            6 => ['50', '50'],
            7 => ['150', '150'],
            8 => ['300', '300'],
            9 => ['600', '600'],
            10 => ['1200', '1200'],
            11 => ['1800', '1800'],
            12 => ['0', '0'],
            13 => ['2.5', '2.5'],
            14 => ['90', 90],
            15 => ['https://example.net/setup', 'https://example.net/setup'],
            16 => ['on', true],
            17 => ['<p>PPTP</p>', '<p>PPTP</p>'],
            18 => ['on', true],
            19 => ['psk-123', 'psk-123'],
            20 => ['<p>L2TP</p>', '<p>L2TP</p>'],
            21 => ['on', true],
            22 => ['<p>OVPN</p>', '<p>OVPN</p>'],
            23 => ['on', true],
            24 => ['<p>SSTP</p>', '<p>SSTP</p>'],
        ];
        foreach ($typed as $position => [$input, $expected]) {
            yield self::GOLDEN[$position][0] => [$position, $input, $expected];
        }
    }

    /** @dataProvider slotValues */
    public function testEachSlotMapsToItsProductFieldAndBack(int $position, string $input, mixed $expected): void
    {
        $product = ProductSettings::product(["configoption$position" => $input], ProductExtras::defaults());
        foreach (explode(' ', self::GOLDEN[$position][1]) as $field) {
            $node = $product;
            foreach (explode('.', $field) as $key) {
                $this->assertArrayHasKey($key, $node, "slot $position did not reach $field");
                $node = $node[$key];
            }
            $this->assertSame($expected, $node);
            $this->assertSame($position, ProductSettings::slotOf($field));
            $this->assertSame(self::GOLDEN[$position][0], ProductSettings::settingName("product.$field"));
        }
    }

    public function testEmptySlotsAreLeftOutSoVpnflowDecides(): void
    {
        $product = ProductSettings::product([], ProductExtras::defaults());
        $this->assertSame([
            'protocols' => [
                'pptp' => ['enabled' => false],
                'l2tp' => ['enabled' => false],
                'ovpn' => ['enabled' => false],
                'sstp' => ['enabled' => false],
            ],
        ], $product);
    }

    public function testAHistoryThatIsNotAWholeNumberGoesAsTypedForVpnflowToName(): void
    {
        $this->assertSame('thirty', ProductSettings::product(['configoption14' => 'thirty'], ProductExtras::defaults())['historyDays']);
    }

    public function testTheOpenVpnProfileComesFromTheProductPane(): void
    {
        $extras = new ProductExtras(ProductExtras::defaults()->permissions, 30, "client\nremote vpn.example.net 1194\n");
        $product = ProductSettings::product(['configoption21' => 'on'], $extras);
        $this->assertSame(['enabled' => true, 'profile' => "client\nremote vpn.example.net 1194\n"], $product['protocols']['ovpn']);
        $this->assertSame('OpenVPN profile (.ovpn)', ProductSettings::settingName('product.protocols.ovpn.profile'));
    }
}
