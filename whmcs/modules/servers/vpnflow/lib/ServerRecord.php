<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * One WHMCS server record is one vpnflow router: Hostname (or IP), Port and Secure locate the vpnflow
 * API, a path after the hostname (`billing.example.net/vpnflow`) is the prefix of a reverse proxy in
 * front of the API (requests go there and are signed without it), Username is the
 * vpnflow router id and Password is vpnflow's WHMCS_SHARED_SECRET.
 */
final class ServerRecord
{
    public const DEFAULT_SSL_PORT = 443;
    public const DEFAULT_PORT = 3000;

    private function __construct(
        public readonly string $origin,
        public readonly string $pathPrefix,
        public readonly string $secret,
        private readonly string $username,
    ) {
    }

    /** @param array<string, mixed> $params WHMCS module parameters */
    public static function fromParams(array $params): self
    {
        return self::build(
            (string) ($params['serverhostname'] ?? ''),
            (string) ($params['serverip'] ?? ''),
            (string) ($params['serverport'] ?? ''),
            self::isOn($params['serversecure'] ?? false),
            (string) ($params['serverusername'] ?? ''),
            (string) ($params['serverpassword'] ?? ''),
        );
    }

    /** For hooks and cron, which get no module parameters: the record of the server a service is on. */
    public static function forService(int $serviceId): self
    {
        $server = Capsule::table('tblhosting')
            ->join('tblservers', 'tblservers.id', '=', 'tblhosting.server')
            ->where('tblhosting.id', $serviceId)
            ->where('tblservers.type', Module::NAME)
            ->first(['tblservers.*']);
        if ($server === null) {
            throw new ModuleProblem('error.noServer', ['serviceId' => $serviceId]);
        }
        return self::build(
            (string) $server->hostname,
            (string) $server->ipaddress,
            (string) $server->port,
            self::isOn($server->secure),
            (string) $server->username,
            (string) decrypt((string) $server->password),
        );
    }

    private static function build(
        string $hostname,
        string $ip,
        string $port,
        bool $secure,
        string $username,
        string $password,
    ): self {
        $location = trim($hostname) !== '' ? trim($hostname) : trim($ip);
        $location = (string) preg_replace('#^https?://#i', '', $location);
        if ($location === '') {
            throw new ModuleProblem('error.noHostname');
        }
        $slash = strpos($location, '/');
        $host = $slash === false ? $location : substr($location, 0, $slash);
        $prefix = $slash === false ? '' : '/' . trim(substr($location, $slash), '/');
        if (filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6)) {
            $host = "[$host]";
        }
        $portNumber = trim($port) !== '' ? (int) $port : ($secure ? self::DEFAULT_SSL_PORT : self::DEFAULT_PORT);
        $origin = ($secure ? 'https' : 'http') . "://$host:$portNumber";
        return new self($origin, $prefix === '/' ? '' : $prefix, $password, trim($username));
    }

    private static function isOn(mixed $flag): bool
    {
        return $flag === true || $flag === 1 || in_array(strtolower((string) $flag), ['on', '1', 'true', 'yes'], true);
    }

    /** The URL staff see in messages: where requests go, without any credential. */
    public function baseUrl(): string
    {
        return $this->origin . $this->pathPrefix;
    }

    public function routerId(): int
    {
        if (!preg_match('/^[1-9]\d{0,15}$/', $this->username)) {
            throw new ModuleProblem('error.routerIdMissing', ['value' => $this->username]);
        }
        return (int) $this->username;
    }
}
