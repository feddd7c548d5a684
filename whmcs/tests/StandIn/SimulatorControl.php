<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/**
 * The simulated routers' control endpoint (simulator/control-server.ts plus secrets and queues, from
 * test/whmcs/router-control.ts): router 0 is VPNFLOW_ROUTER_ID, router 1 VPNFLOW_OUTAGE_ROUTER_ID.
 */
final class SimulatorControl
{
    public const MAIN = 0;
    public const OUTAGE = 1;

    /** @return array<string, mixed> identity, version, activeSessions, fault, ... */
    public static function router(int $index): array
    {
        return self::call('GET', "/routers/$index");
    }

    /** @return array<string, string>|null the PPP secret as the router prints it */
    public static function secret(int $index, string $name): ?array
    {
        foreach (self::call('GET', "/routers/$index/secrets") as $secret) {
            if (($secret['name'] ?? null) === $name) {
                return $secret;
            }
        }
        return null;
    }

    /** @return array<string, string>|null the simple queue as the router prints it */
    public static function queue(int $index, string $name): ?array
    {
        foreach (self::call('GET', "/routers/$index/queues") as $queue) {
            if (($queue['name'] ?? null) === $name) {
                return $queue;
            }
        }
        return null;
    }

    /** @return list<string> names with a live session */
    public static function sessionNames(int $index): array
    {
        return array_column(self::router($index)['activeSessions'], 'name');
    }

    /** A client dials in; false when the router refuses (wrong password, disabled secret). */
    public static function connect(int $index, string $name, string $password): bool
    {
        return self::call('POST', "/routers/$index/sessions", ['name' => $name, 'password' => $password], true) !== null;
    }

    /** An account on the router that vpnflow did not create. */
    public static function addForeignSecret(int $index, string $name): void
    {
        self::call('POST', "/routers/$index/secrets", ['name' => $name, 'password' => 'Someone-Elses-1']);
    }

    public static function goOffline(int $index): void
    {
        self::call('PUT', "/routers/$index/fault", ['kind' => 'offline']);
    }

    public static function comeBack(int $index): void
    {
        self::call('DELETE', "/routers/$index/fault");
    }

    /** @param array<string, mixed>|null $body */
    private static function call(string $method, string $path, ?array $body = null, bool $refusalIsNull = false): mixed
    {
        $handle = curl_init(Env::get('VPNFLOW_CONTROL_URL') . $path);
        curl_setopt_array($handle, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 10,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
        ]);
        if ($body !== null) {
            curl_setopt($handle, CURLOPT_POSTFIELDS, json_encode($body));
        }
        $answer = curl_exec($handle);
        $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        if ($answer === false) {
            throw new \RuntimeException("simulator control $method $path did not answer");
        }
        if ($status === 409 && $refusalIsNull) {
            return null;
        }
        if ($status !== 200) {
            throw new \RuntimeException("simulator control $method $path answered $status: $answer");
        }
        return json_decode($answer, true);
    }
}
