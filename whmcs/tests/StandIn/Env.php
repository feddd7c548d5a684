<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/** Where the real vpnflow stack of this run is: test/whmcs/phpunit.test.ts starts it and sets these. */
final class Env
{
    private static int $sequence = 0;

    public static function get(string $name): string
    {
        $value = getenv($name);
        if ($value === false || $value === '') {
            throw new \RuntimeException("$name is not set: run these tests with `npx jest test/whmcs`, which starts vpnflow");
        }
        return $value;
    }

    /** @return array{host: string, port: string} the vpnflow API of this run */
    public static function api(): array
    {
        $url = parse_url(self::get('VPNFLOW_API_URL'));
        return ['host' => (string) $url['host'], 'port' => (string) $url['port']];
    }

    public static function secret(): string
    {
        return self::get('VPNFLOW_SECRET');
    }

    public static function routerId(): int
    {
        return (int) self::get('VPNFLOW_ROUTER_ID');
    }

    /** A router of its own for the outage test, so taking it offline disturbs no other test. */
    public static function outageRouterId(): int
    {
        return (int) self::get('VPNFLOW_OUTAGE_ROUTER_ID');
    }

    /** A port nothing listens on: a vpnflow API that is down. */
    public static function closedPort(): string
    {
        return self::get('VPNFLOW_CLOSED_PORT');
    }

    /** WHMCS service ids unique in vpnflow's database, which other test files of the run share. */
    public static function nextServiceId(): int
    {
        return (int) self::get('VPNFLOW_ID_BASE') + ++self::$sequence;
    }
}
