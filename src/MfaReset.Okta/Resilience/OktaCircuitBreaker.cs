using Microsoft.Extensions.Logging;

namespace MfaReset.Okta;

/// <summary>
/// Stops sending to Okta after <see cref="OktaOptions.CircuitBreakerFailures"/> consecutive failed
/// attempts (5xx, timeouts, connection failures), for <see cref="OktaOptions.CircuitBreakerDuration"/>;
/// then lets one trial attempt through: its success closes the circuit, its failure opens it again.
/// Any answer below 500 (a wrong code, a 404, a 429) shows Okta is up and counts as a success.
/// Counted per attempt, so a GET whose retries keep failing opens the circuit sooner and a failing
/// trial is not followed by retries. One instance is shared by every call of a client registration.
/// </summary>
/// <remarks>
/// Hand-written rather than Polly's breaker: Polly counts a failure ratio over a sampling window,
/// while the requirement (security.md item 77) is a run of consecutive failures.
/// </remarks>
internal sealed class OktaCircuitBreaker(OktaOptions options, TimeProvider time, ILogger logger)
{
    private readonly int _threshold = options.CircuitBreakerFailures;
    private readonly TimeSpan _breakDuration = options.CircuitBreakerDuration;
    private readonly Lock _gate = new();
    private CircuitState _state = CircuitState.Closed;
    private int _consecutiveFailures;
    private long _openedAt;
    private bool _trialInFlight;

    /// <summary>Whether an attempt started now would be refused. For deciding whether to retry; <see cref="TryEnter"/> decides for real.</summary>
    public bool IsBroken
    {
        get
        {
            lock (_gate)
            {
                return _state switch
                {
                    CircuitState.Open => time.GetElapsedTime(_openedAt) < _breakDuration,
                    CircuitState.HalfOpen => _trialInFlight,
                    _ => false,
                };
            }
        }
    }

    /// <summary>Asks to send one attempt. Every admitted attempt must end in <see cref="Succeeded"/>, <see cref="Failed"/> or <see cref="Abandoned"/>.</summary>
    public CircuitAdmission TryEnter()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    return CircuitAdmission.Allowed;
                case CircuitState.Open when time.GetElapsedTime(_openedAt) < _breakDuration:
                case CircuitState.HalfOpen when _trialInFlight:
                    return CircuitAdmission.Refused;
                default:
                    _state = CircuitState.HalfOpen;
                    _trialInFlight = true;
                    break;
            }
        }

        OktaClientLog.CircuitHalfOpen(logger);
        return CircuitAdmission.Trial;
    }

    /// <summary>Okta answered below 500.</summary>
    public void Succeeded()
    {
        bool wasBroken;
        lock (_gate)
        {
            wasBroken = _state != CircuitState.Closed;
            _state = CircuitState.Closed;
            _consecutiveFailures = 0;
            _trialInFlight = false;
        }

        if (wasBroken)
        {
            OktaClientLog.CircuitClosed(logger);
        }
    }

    /// <summary>Okta answered 5xx, timed out or could not be reached.</summary>
    public void Failed()
    {
        int failures;
        lock (_gate)
        {
            failures = ++_consecutiveFailures;
            // While open, late failures of attempts sent before it opened do not extend the break.
            if (_state == CircuitState.Open || (_state == CircuitState.Closed && failures < _threshold))
            {
                return;
            }

            _state = CircuitState.Open;
            _openedAt = time.GetTimestamp();
            _trialInFlight = false;
        }

        OktaClientLog.CircuitOpened(logger, failures, (long)_breakDuration.TotalSeconds);
    }

    /// <summary>The attempt ended without telling anything about Okta (the caller cancelled, the in-flight cap refused it).</summary>
    public void Abandoned(CircuitAdmission admission)
    {
        lock (_gate)
        {
            if (admission == CircuitAdmission.Trial && _state == CircuitState.HalfOpen)
            {
                _trialInFlight = false;
            }
        }
    }

    private enum CircuitState
    {
        Closed,
        Open,
        HalfOpen,
    }
}

/// <summary>What <see cref="OktaCircuitBreaker.TryEnter"/> decided for one attempt.</summary>
internal enum CircuitAdmission
{
    Refused,
    Allowed,
    Trial,
}
