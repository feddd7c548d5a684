<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/** The service as WHMCS stores it (tblhosting), for what the module parameters do not carry. */
final class WhmcsService
{
    private function __construct(
        public readonly int $id,
        public readonly int $productId,
        public readonly string $billingCycle,
        public readonly ?string $regDate,
        public readonly ?string $nextDueDate,
        public readonly string $status,
        public readonly string $username,
        public readonly string $dedicatedIp,
    ) {
    }

    public static function find(int $serviceId): self
    {
        $row = Capsule::table('tblhosting')->where('id', $serviceId)->first();
        if ($row === null) {
            throw new ModuleProblem('error.noService', ['serviceId' => $serviceId]);
        }
        return new self(
            (int) $row->id,
            (int) $row->packageid,
            (string) $row->billingcycle,
            self::date($row->regdate),
            self::date($row->nextduedate),
            (string) $row->domainstatus,
            (string) $row->username,
            (string) $row->dedicatedip,
        );
    }

    /** WHMCS writes "no date" (one-time and free services) as 0000-00-00. */
    private static function date(mixed $value): ?string
    {
        $text = substr(trim((string) $value), 0, 10);
        return preg_match('/^\d{4}-\d{2}-\d{2}$/', $text) && $text !== '0000-00-00' ? $text : null;
    }

    /**
     * Records what vpnflow chose: the PPP username (vpnflow replaces one a router cannot take) and
     * the allocated address as the service's Dedicated IP, through WHMCS's own API so its hooks run.
     *
     * @param array<string, mixed> $view vpnflow's service view
     */
    public function recordAccount(array $view): void
    {
        $changes = [];
        $username = (string) ($view['username'] ?? '');
        if ($username !== '' && $username !== $this->username) {
            $changes['serviceusername'] = $username;
        }
        $address = (string) ($view['address'] ?? '');
        if ($address !== '' && $address !== $this->dedicatedIp) {
            $changes['dedicatedip'] = $address;
        }
        if ($changes === []) {
            return;
        }
        $result = localAPI('UpdateClientProduct', ['serviceid' => $this->id] + $changes);
        if (($result['result'] ?? '') !== 'success') {
            throw new ModuleProblem('error.recordAccount', ['message' => (string) ($result['message'] ?? '')]);
        }
    }
}
