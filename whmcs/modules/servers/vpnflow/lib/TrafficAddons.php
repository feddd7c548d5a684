<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * The traffic packs a client may buy for a service: product addons of this module that apply to the
 * service's product and are on sale, with WHMCS's prices in the client's currency (WHMCS formats them)
 * and a link to WHMCS's cart, which handles the order, the invoice, taxes and promotions.
 */
final class TrafficAddons
{
    /** tblpricing's price column of each recurring cycle; a one-time addon's price is in `monthly`. */
    private const CYCLE_COLUMNS = [
        'monthly' => 'cycleMonthly',
        'quarterly' => 'cycleQuarterly',
        'semiannually' => 'cycleSemiannually',
        'annually' => 'cycleAnnually',
        'biennially' => 'cycleBiennially',
        'triennially' => 'cycleTriennially',
    ];

    /**
     * @return list<array{addonId: int, name: string, description: string, prices: list<string>, orderUrl: string}>
     */
    public static function forService(int $serviceId, int $productId, int $clientId, ClientText $text): array
    {
        $currency = self::currencyOf($clientId);
        $addons = Capsule::table('tbladdons')
            ->where('module', Module::NAME)
            ->where('hidden', 0)
            ->where('retired', 0)
            ->orderBy('weight')
            ->orderBy('name')
            ->get();
        $offers = [];
        foreach ($addons as $addon) {
            $products = array_map('trim', explode(',', (string) $addon->packages));
            if (!in_array((string) $productId, $products, true)) {
                continue;
            }
            $pricing = Capsule::table('tblpricing')
                ->where('type', 'addon')
                ->where('relid', $addon->id)
                ->where('currency', $currency)
                ->first();
            $prices = self::prices((string) $addon->billingcycle, $pricing, $currency, $text);
            // Not sold in the client's currency.
            if ($prices === []) {
                continue;
            }
            $offers[] = [
                'addonId' => (int) $addon->id,
                'name' => (string) $addon->name,
                'description' => (string) $addon->description,
                'prices' => $prices,
                'orderUrl' => 'cart.php?a=add&aid=' . (int) $addon->id . '&productid=' . $serviceId,
            ];
        }
        return $offers;
    }

    /**
     * "$3.76 one time", or one line per cycle of a recurring addon; WHMCS writes its billing cycle as
     * free / onetime / recurring, older versions as the cycle's name ("One Time", "Monthly").
     *
     * @return list<string>
     */
    private static function prices(string $billingCycle, ?object $pricing, int $currency, ClientText $text): array
    {
        $cycle = strtolower(str_replace(['-', ' '], '', $billingCycle));
        if (in_array($cycle, ['free', 'freeaccount'], true)) {
            return [$text->text('buy.cycleFree')];
        }
        if ($pricing === null) {
            return [];
        }
        $line = static fn (string $column, string $cycleText) => $text->text('buy.price', [
            'price' => (string) formatCurrency($pricing->$column, $currency),
            'cycle' => $text->text("buy.$cycleText"),
        ]);
        if ($cycle === 'onetime') {
            return (float) $pricing->monthly >= 0 ? [$line('monthly', 'cycleOnetime')] : [];
        }
        $columns = $cycle === 'recurring' ? self::CYCLE_COLUMNS : array_intersect_key(self::CYCLE_COLUMNS, [$cycle => true]);
        $prices = [];
        foreach ($columns as $column => $cycleText) {
            // WHMCS marks a cycle that is not offered with the price -1.
            if ((float) $pricing->$column >= 0) {
                $prices[] = $line($column, $cycleText);
            }
        }
        return $prices;
    }

    private static function currencyOf(int $clientId): int
    {
        $currency = (int) Capsule::table('tblclients')->where('id', $clientId)->value('currency');
        return $currency > 0 ? $currency : (int) Capsule::table('tblcurrencies')->where('default', 1)->value('id');
    }
}
