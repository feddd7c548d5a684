<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * Paid traffic reaches vpnflow through an outbox keyed by invoice line, so each paid line is credited
 * exactly once whatever fails. InvoicePaid writes a row for every vpnflow traffic line before any
 * network call, then sends it; the cron retries what is still pending with a growing delay; the
 * addon's own create converges on the same row. vpnflow's ledger, keyed by invoice and line, is the
 * final guard against a line credited twice.
 */
final class TrafficCredits
{
    public const PENDING = 'pending';
    public const CREDITED = 'credited';
    /** vpnflow refused the line for good (a terminated service, a conflicting amount): staff decide. */
    public const FAILED = 'failed';

    private const FIRST_RETRY_SECONDS = 300;
    private const MAX_RETRY_SECONDS = 21600;
    private const CRON_BATCH = 100;

    /** @var \Closure(): int */
    private readonly \Closure $clock;

    /** @param (\Closure(): int)|null $clock Unix seconds */
    public function __construct(?\Closure $clock = null)
    {
        $this->clock = $clock ?? static fn (): int => time();
        ModuleTables::ensure();
    }

    /** The InvoicePaid hook: record every vpnflow traffic line of the invoice, then send them. */
    public function invoicePaid(int $invoiceId): void
    {
        foreach ($this->trafficLines()->where('item.invoiceid', $invoiceId)->get() as $line) {
            $this->record($line);
        }
        $pending = Capsule::table(ModuleTables::TRAFFIC_CREDITS)
            ->where('invoice_id', $invoiceId)
            ->where('status', self::PENDING)
            ->get();
        foreach ($pending as $row) {
            $this->send($row);
        }
    }

    /** The AfterCronJob hook: what is pending and due, oldest first. */
    public function retryDue(): void
    {
        $due = Capsule::table(ModuleTables::TRAFFIC_CREDITS)
            ->where('status', self::PENDING)
            ->where('next_attempt_at', '<=', $this->timestamp(0))
            ->orderBy('next_attempt_at')
            ->limit(self::CRON_BATCH)
            ->get();
        foreach ($due as $row) {
            $this->send($row);
        }
    }

    /**
     * The traffic addon's own CreateAccount: credits the addon's latest paid line. Whichever of this
     * and InvoicePaid runs first sends the line; the other finds it credited.
     */
    public function creditAddon(int $hostingAddonId): string
    {
        return Module::attempt('CreateAccount (traffic addon)', function () use ($hostingAddonId) {
            $line = $this->trafficLines()
                ->join('tblinvoices as invoice', 'invoice.id', '=', 'item.invoiceid')
                ->where('hosting_addon.id', $hostingAddonId)
                ->where('invoice.status', 'Paid')
                ->orderByDesc('item.invoiceid')
                ->orderByDesc('item.id')
                ->first();
            if ($line === null) {
                throw new ModuleProblem('error.noPaidLine', ['addonId' => $hostingAddonId]);
            }
            $this->record($line);
            $row = $this->row((int) $line->item_id);
            if ($row->status === self::PENDING) {
                $this->send($row);
                $row = $this->row((int) $line->item_id);
            }
            if ($row->status !== self::CREDITED) {
                throw new ModuleProblem($row->status === self::PENDING ? 'error.creditPending' : 'error.creditRefused', [
                    'error' => (string) $row->last_error,
                ]);
            }
        });
    }

    /** @return \Illuminate\Database\Query\Builder invoice lines of addons sold with this module */
    private function trafficLines()
    {
        $columns = [
            'item.id as item_id',
            'item.invoiceid',
            'item.description',
            'hosting_addon.id as hosting_addon_id',
            'hosting_addon.hostingid',
            'hosting_addon.addonid',
        ];
        // Addon quantities are a newer WHMCS column; without it every line is one unit.
        if (Capsule::schema()->hasColumn('tblhostingaddons', 'qty')) {
            $columns[] = 'hosting_addon.qty';
        }
        return Capsule::table('tblinvoiceitems as item')
            ->join('tblhostingaddons as hosting_addon', 'hosting_addon.id', '=', 'item.relid')
            ->join('tbladdons as addon', 'addon.id', '=', 'hosting_addon.addonid')
            ->where('item.type', 'Addon')
            ->where('addon.module', Module::NAME)
            ->select($columns);
    }

    /** Inserts the line's outbox row unless it exists: the invoice line is the primary key. */
    private function record(object $line): void
    {
        $setting = (string) Capsule::table('tblmodule_configuration')
            ->where('entity_type', 'addon')
            ->where('entity_id', $line->addonid)
            ->where('setting_name', 'configoption1')
            ->value('value');
        $gb = self::gigabytes($setting, max(1, (int) ($line->qty ?? 1)));
        $row = [
            'invoice_item_id' => (int) $line->item_id,
            'invoice_id' => (int) $line->invoiceid,
            'service_id' => (int) $line->hostingid,
            'hosting_addon_id' => (int) $line->hosting_addon_id,
            'gb' => $gb ?? trim($setting),
            'description' => mb_substr(trim((string) $line->description) ?: 'Traffic addon', 0, 500),
            'status' => $gb === null ? self::FAILED : self::PENDING,
            'attempts' => 0,
            'next_attempt_at' => $this->timestamp(0),
            'last_error' => $gb === null ? Translator::forStaff()->text('error.addonTraffic', ['value' => $setting]) : null,
            'created_at' => $this->timestamp(0),
        ];
        Capsule::table(ModuleTables::TRAFFIC_CREDITS)->insertOrIgnore($row);
    }

    /** A positive decimal with at most three decimals, times the quantity; null when it is not one. */
    private static function gigabytes(string $setting, int $quantity): ?string
    {
        $value = trim($setting);
        if (!preg_match('/^\d{1,10}(\.\d{1,3})?$/', $value) || (float) $value <= 0) {
            return null;
        }
        [$whole, $fraction] = array_pad(explode('.', $value), 2, '');
        $thousandths = ((int) $whole * 1000 + (int) str_pad($fraction, 3, '0')) * $quantity;
        $text = intdiv($thousandths, 1000) . '.' . str_pad((string) ($thousandths % 1000), 3, '0', STR_PAD_LEFT);
        return rtrim(rtrim($text, '0'), '.');
    }

    private function send(object $row): void
    {
        $attempt = (int) $row->attempts + 1;
        $where = Capsule::table(ModuleTables::TRAFFIC_CREDITS)
            ->where('invoice_item_id', $row->invoice_item_id)
            ->where('status', self::PENDING);
        $facts = [
            'gb' => $row->gb,
            'serviceId' => $row->service_id,
            'invoiceId' => $row->invoice_id,
            'itemId' => $row->invoice_item_id,
        ];
        $clientId = (int) Capsule::table('tblhosting')->where('id', $row->service_id)->value('userid');
        try {
            $answer = (new ApiClient(ServerRecord::forService((int) $row->service_id)))->send(
                "/v1/whmcs/services/{$row->service_id}/traffic",
                [
                    'invoiceId' => (int) $row->invoice_id,
                    'invoiceItemId' => (int) $row->invoice_item_id,
                    'gb' => $row->gb,
                    'description' => $row->description,
                ],
                // A new key per attempt: an answer vpnflow stored for a refused attempt (a service not
                // created yet) must not be replayed to the next one. The ledger key guards the credit.
                "traffic-{$row->invoice_id}-{$row->invoice_item_id}-$attempt",
            );
        } catch (\Throwable $problem) {
            $error = (new StaffMessages(Translator::forStaff()))->explain($problem, ['serviceId' => $row->service_id]);
            $transient = !$problem instanceof ApiError || $problem->transient();
            $where->update([
                'attempts' => $attempt,
                'status' => $transient ? self::PENDING : self::FAILED,
                'next_attempt_at' => $this->timestamp(self::retryDelay($attempt)),
                'last_error' => $error,
            ]);
            logActivity(Translator::forStaff()->text('activity.creditFailed', $facts + ['error' => $error]), $clientId);
            return;
        }
        $newlyCredited = ($answer->body['credited'] ?? true) !== false;
        $where->update([
            'attempts' => $attempt,
            'status' => self::CREDITED,
            'newly_credited' => $newlyCredited,
            'credited_at' => $this->timestamp(0),
            'last_error' => null,
        ]);
        logActivity(Translator::forStaff()->text($newlyCredited ? 'activity.credited' : 'activity.alreadyCredited', $facts), $clientId);
    }

    /** 5 minutes (one WHMCS cron run), doubling up to 6 hours. */
    private static function retryDelay(int $attempt): int
    {
        return min(self::MAX_RETRY_SECONDS, self::FIRST_RETRY_SECONDS * 2 ** min(16, $attempt - 1));
    }

    private function row(int $invoiceItemId): object
    {
        return Capsule::table(ModuleTables::TRAFFIC_CREDITS)->where('invoice_item_id', $invoiceItemId)->first();
    }

    private function timestamp(int $secondsFromNow): string
    {
        return gmdate('Y-m-d H:i:s', ($this->clock)() + $secondsFromNow);
    }
}
