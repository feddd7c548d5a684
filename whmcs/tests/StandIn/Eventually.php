<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/** Waits for what the router or the workflow does after a call has already answered. */
final class Eventually
{
    /**
     * @template T
     * @param \Closure(): T $probe returns a truthy value once the condition holds
     * @return T
     */
    public static function until(\Closure $probe, string $what, float $timeoutSeconds = 90.0): mixed
    {
        $deadline = microtime(true) + $timeoutSeconds;
        while (true) {
            $value = $probe();
            if ($value) {
                return $value;
            }
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("not within {$timeoutSeconds}s: $what");
            }
            usleep(250_000);
        }
    }
}
